"""The application shell of Pantau Literasi: the command line (``python -m pantau``, also
``python -m etl``), the server launcher and the README generator. It may import every other
package; none imports it (except the ``etl/__main__.py`` shim)."""
