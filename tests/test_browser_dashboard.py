"""The dashboard in a real browser, on the demo warehouse: every page renders
without an exception box, the period can be changed, a facility can be
clicked through to its page, and a bookmarked URL opens the same view."""

from __future__ import annotations

import re

from tests.browser import browser, exceptions, kpi, screenshot, settle, sign_in

PAGES = [("", "Ringkasan aktivitas membaca"), ("fasilitas", None), ("peminjaman", "Peminjaman"),
         ("kunjungan", "Kunjungan perpustakaan"), ("pelatihan", "Pelatihan dan kegiatan literasi"),
         ("kerjasama", "Kerja sama (PKS) dengan UPT"), ("paket", "Paket buku bergilir"),
         ("hunian", "Hunian dan kapasitas"), ("kelengkapan", "Kelengkapan data"),
         ("indikator", "Definisi indikator")]


def test_every_page_renders(demo_served):
    with browser() as page:
        sign_in(page, demo_served, "kepala", "sandi-kepala-dinas")
        for path, title in PAGES:
            page.goto(f"{demo_served}/{path}")
            settle(page)
            assert exceptions(page) == [], path
            heading = page.locator("[data-testid='stMain'] h1").first.inner_text()
            if title:
                assert heading == title
            screenshot(page, f"dashboard-{path or 'ringkasan'}")


def test_change_period_and_click_through_to_a_facility(demo_served):
    with browser() as page:
        sign_in(page, demo_served, "kepala", "sandi-kepala-dinas")
        settle(page)
        twelve_months = kpi(page, "Peminjaman")
        page.get_by_role("radio", name="Bulan ini").click()  # pills are radio buttons
        page.wait_for_url("**dari=2026-10**", timeout=60000)  # the rerun has begun
        settle(page)
        assert "dari=2026-10" in page.url and "sampai=2026-10" in page.url
        one_month = kpi(page, "Peminjaman")
        assert int(one_month.replace(".", "")) < int(twelve_months.replace(".", ""))
        screenshot(page, "dashboard-ringkasan-bulan-ini")

        # click the busiest facility's bar in the ranking chart
        bar = page.locator("[data-testid='stPlotlyChart']").nth(3).locator("g.points path").last
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly listens on its drag layer
        page.wait_for_url(re.compile(r".*/fasilitas\?.*unit=lapas-banjarmasin.*"), timeout=30000)
        settle(page)
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Lapas Banjarmasin"
        assert "dari=2026-10" in page.url  # the same period came along
        assert exceptions(page) == []
        screenshot(page, "dashboard-klik-fasilitas")


def test_bookmarked_url_opens_the_same_view(demo_served):
    with browser() as page:
        sign_in(page, demo_served, "kepala", "sandi-kepala-dinas")  # the session cookie carries over to the link
        page.goto(f"{demo_served}/fasilitas?unit=rutan-rantau&dari=2026-01&sampai=2026-03&lang=en")
        settle(page)
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Rutan Rantau"
        boxes = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input")
        assert [boxes.nth(i).input_value() for i in range(2)] == ["Jan 2026", "Mar 2026"]
        assert page.get_by_role("radio", name="English").get_attribute("aria-checked") == "true"
        assert exceptions(page) == []
        screenshot(page, "dashboard-bookmark-en")


def test_per_capita_ranking_and_agreement_warning(demo_served):
    with browser() as page:
        sign_in(page, demo_served, "kepala", "sandi-kepala-dinas")
        # the demo has an agreement ending within 60 days: the overview warns about it
        assert page.get_by_text("PKS segera berakhir").count() == 1
        page.get_by_role("radio", name="Per 100 WBP").click()
        page.wait_for_url("**ukuran=per100**", timeout=60000)  # the rerun has begun
        settle(page)
        page.get_by_text("Per 100 WBP dihitung dari 13 dari 15 fasilitas").wait_for(timeout=60000)
        assert page.get_by_text("Peminjaman per 100 WBP per bulan").count() >= 1
        assert exceptions(page) == []
        screenshot(page, "dashboard-per100")
        page.goto(f"{demo_served}/kelengkapan")
        settle(page)
        assert page.get_by_text("Laporan yang perlu ditagih").count() == 1
        assert exceptions(page) == []
