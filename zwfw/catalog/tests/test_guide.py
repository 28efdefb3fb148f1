"""Public guides: generated from the published version, every element in order, old versions
reachable, PDF and QR code of the page itself, downloads only for files a published guide offers."""

from __future__ import annotations

import hashlib
import io
import re

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from zwfw.catalog import services
from zwfw.catalog.guide import guide_build, guide_url, guide_version_url, limit_text, safe_url, tel_href
from zwfw.catalog.models import CatalogFile
from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.catalog.views_guide import qr_svg
from zwfw.core.models import AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

# The order a citizen needs the guide in (section ids of the page).
SECTION_ORDER = [
    "about",
    "conditions",
    "materials",
    "procedure",
    "time-limits",
    "fees",
    "where",
    "online",
    "result",
    "contacts",
    "faq",
    "basis",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市's 政务服务管理局 (the region's 政务服务部门)."""
    from zwfw.core import services as core_services

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


def publish(world, reviewer, implementation, kind="add"):
    """Submit, approve and publish the implementation's draft; returns the implementation."""
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind=kind, reason="测试"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def make_file(name: str, body: bytes, content_type: str) -> CatalogFile:
    """A stored CatalogFile."""
    return CatalogFile.objects.create(
        file=ContentFile(body, name=name),
        original_name=name,
        content_type=content_type,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
    )


@pytest.fixture
def files():
    return {
        "blank": make_file("食品经营许可申请书.docx", b"blank form bytes", "application/msword"),
        "sample": make_file("申请书示例.pdf", b"%PDF-sample", "application/pdf"),
        "result": make_file("许可证样本.pdf", b"%PDF-result", "application/pdf"),
    }


def rich_content(files, **overrides):
    """A publishable licensing item with fees, forms, special procedures, themes and both links."""
    content = publishable_content(
        charged=True,
        fee_basis="《食品经营许可管理办法》",
        fees=[{"name": "工本费", "standard": "每证10元", "amount_yuan": 10, "reduction": "小微企业免收"}],
        online_payment=True,
        online_url_mobile="https://m.zwfw.yn.gov.cn/item/1",
        special_procedures=[{"name": "现场核查", "limit": 5, "basis": "《食品经营许可管理办法》第二十条"}],
        person_themes=["开餐馆"],
        legal_person_themes=["企业开办"],
        result_sample=str(files["result"].pk),
        materials=[
            {
                "key": "application",
                "name": "食品经营许可申请书",
                "necessity": "required",
                "blank_form": str(files["blank"].pk),
                "sample": str(files["sample"].pk),
                "filling_notes": "用黑色签字笔填写",
            },
            {
                "key": "id-card",
                "name": "法定代表人身份证明",
                "necessity": "required",
                "source": "e_license",
                "license_type": "居民身份证",
            },
            {
                "key": "floor-plan",
                "name": "经营场所平面图",
                "necessity": "deficiency_allowed",
                "commitment_allowed": True,
            },
        ],
    )
    content.update(overrides)
    return content


@pytest.fixture
def published(world, reviewer, files):
    implementation = make_implementation(world, **rich_content(files))
    return publish(world, reviewer, implementation)


@pytest.mark.smoke
def test_guide_page_shows_every_element_in_the_order_a_citizen_needs_it(published, client):
    response = client.get(f"/guides/{published.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "食品经营许可" in html and "景洪市市场监督管理局" in html
    positions = [html.index(f'id="{section}"') for section in SECTION_ORDER]
    assert positions == sorted(positions)
    # materials table: one row per material, in the published order, with real table headers
    assert re.findall(r'data-material="([^"]+)"', html) == ["application", "id-card", "floor-plan"]
    assert html.count('<th scope="col"') >= 5 and '<th scope="row"' in html
    # apply here (depth III), then the "apply online" deep links, PC and mobile, labelled
    assert html.count("data-apply-link") == 3
    assert f'href="/apply/{published.pk}/"' in html
    assert 'href="https://zwfw.yn.gov.cn/item/1"' in html and 'href="https://m.zwfw.yn.gov.cn/item/1"' in html
    # contacts are phone links; the QR code, PDF and print links are on the page
    assert 'href="tel:06912123456"' in html and 'href="tel:069112345"' in html
    assert f'src="/guides/{published.pk}/qr.svg"' in html
    assert f'href="/guides/{published.pk}/guide.pdf"' in html
    assert f'href="/guides/{published.pk}/?print=1"' in html
    # fees, special procedures, result sample, FAQ, legal basis, both themes
    assert "每证10元" in html and "小微企业免收" in html and "现场核查" in html
    assert f'href="/guides/files/{published.current_version.content["result_sample"]}/"' in html
    assert "可以网上办理吗？" in html and "《中华人民共和国食品安全法》第三十五条" in html
    assert "开餐馆" in html and "企业开办" in html
    assert 'data-version="1"' in html and "data-superseded" not in html


def test_unknown_draft_and_cancelled_guides_are_404(world, reviewer, files, client):
    assert client.get("/guides/999999/").status_code == 404
    draft = make_implementation(world, item=make_item(world, base_code="DRAFT-1", name="草稿事项"))
    for path in (f"/guides/{draft.pk}/", f"/guides/{draft.pk}/guide.pdf", f"/guides/{draft.pk}/qr.svg"):
        response = client.get(path)
        assert response.status_code == 404 and b"data-guide-not-found" in response.content
    published = publish(world, reviewer, make_implementation(world, **rich_content(files)))
    assert client.get(f"/guides/{published.pk}/v2/").status_code == 404
    assert client.get(f"/guides/{published.pk}/v0/").status_code == 404
    publish(world, reviewer, published, kind="cancel")
    assert client.get(f"/guides/{published.pk}/").status_code == 404
    assert client.get(f"/guides/{published.pk}/v1/").status_code == 404


def test_new_version_is_shown_and_the_old_one_stays_reachable_with_a_banner(
    world, reviewer, published, files, client
):
    services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=published, draft=rich_content(files, promised_limit=5)
    )
    publish(world, reviewer, published, kind="change")

    current = client.get(f"/guides/{published.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-version="2"' in current and "data-superseded" not in current and "5个工作日" in current

    old = client.get(f"/guides/{published.pk}/v1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-version="1"' in old and 'data-superseded="2"' in old and "10个工作日" in old
    assert f'href="/guides/{published.pk}/"' in old  # the link to the current guide
    assert f'src="/guides/{published.pk}/v1/qr.svg"' in old

    same = client.get(f"/guides/{published.pk}/v2/").content.decode()
    assert "data-superseded" not in same


def test_enum_values_become_readable_labels(published):
    with translation.override("en"):
        guide = guide_build(published.current_version, current_number=1)
    assert [m.necessity_label for m in guide.materials] == [
        "Required",
        "Required",
        "May follow after acceptance",
    ]
    assert guide.materials[2].commitment_allowed and not guide.materials[0].commitment_allowed
    assert (
        guide.materials[1].source_label == "Electronic licence" and guide.materials[1].issuer == "居民身份证"
    )
    assert guide.materials[0].blank_form is not None and guide.materials[0].blank_form.name.endswith(".docx")
    assert guide.promised_limit == "10 working days" and guide.statutory_limit == "20 working days"
    assert guide.online_depth_level == "Ⅲ" and guide.handling_kind_label.startswith("Promised item")
    assert guide.service_objects == ["Natural persons", "Legal persons and other organisations"]
    assert guide.is_current


def test_limits_links_and_phones_are_written_safely():
    with translation.override("en"):
        assert limit_text(0, "working_days") == "Instant (decided on the spot)"
        assert limit_text(15, "natural_days") == "15 calendar days"
        assert limit_text(None, "working_days") == ""
    assert safe_url("https://zwfw.yn.gov.cn/x?a=1") == "https://zwfw.yn.gov.cn/x?a=1"
    assert safe_url("javascript:alert(1)") == "" and safe_url("data:text/html,x") == ""
    assert tel_href("0691-2123456") == "tel:06912123456" and tel_href("微信公众号") == ""


def test_an_unsafe_online_address_is_never_a_link(world, reviewer, files, client):
    implementation = make_implementation(world, **rich_content(files, online_url_pc="javascript:alert(1)"))
    publish(world, reviewer, implementation)
    html = client.get(f"/guides/{implementation.pk}/").content.decode()
    assert "javascript:" not in html
    assert html.count("data-apply-link") == 2  # apply here and the mobile link remain


def test_instant_item_says_so(world, reviewer, files, client):
    implementation = make_implementation(
        world, **rich_content(files, handling_kind="instant", promised_limit=0, statutory_limit=20)
    )
    publish(world, reviewer, implementation)
    with translation.override("en"):
        guide = guide_build(implementation.versions.get(), current_number=1)
    assert guide.is_instant and guide.promised_limit == "Instant (decided on the spot)"


def test_print_view_has_no_site_navigation(published, client):
    html = client.get(f"/guides/{published.pk}/?print=1").content.decode()
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    assert "guide-print.css" in html and 'data-version="1"' in html
    assert "data-apply-link" not in html  # the action buttons are not printed
    page = client.get(f"/guides/{published.pk}/").content.decode()
    assert 'class="site-header"' in page and "guide-print.css" in page


def test_qr_code_encodes_the_absolute_address_of_the_page_itself(published, client):
    response = client.get(f"/guides/{published.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content == qr_svg(f"http://testserver/guides/{published.pk}/")
    assert response.content != qr_svg(f"http://testserver/guides/{published.pk}/v1/")
    versioned = client.get(f"/guides/{published.pk}/v1/qr.svg")
    assert versioned.content == qr_svg(f"http://testserver/guides/{published.pk}/v1/")
    assert client.get(f"/guides/{published.pk}/v9/qr.svg").status_code == 404


def test_pdf_has_the_content_qr_link_page_numbers_version_and_date(published, client):
    response = client.get(f"/guides/{published.pk}/guide.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in reader.pages]
    text = "\n".join(texts)
    for expected in (
        "食品经营许可",
        "景洪市市场监督管理局",
        "食品经营许可申请书",
        "经营场所平面图",
        "工本费",
        "0691-12345",
    ):
        assert expected in text
    date = timezone.localtime(published.current_version.published_at).strftime("%Y-%m-%d")
    for number, page_text in enumerate(texts, start=1):
        assert f"第{number}页" in page_text
        assert f"第1版，{date}发布" in page_text
    # the forms are links to the public download address
    links = [
        annot.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    blank_id = published.current_version.content["materials"][0]["blank_form"]
    assert f"http://testserver/guides/files/{blank_id}/" in links


def test_pdf_of_an_old_version_says_it_is_superseded(world, reviewer, published, files, client):
    services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=published, draft=rich_content(files, promised_limit=5)
    )
    publish(world, reviewer, published, kind="change")
    response = client.get(f"/guides/{published.pk}/v1/guide.pdf", HTTP_ACCEPT_LANGUAGE="en")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "已被第2版取代" in text.replace("\n", " ")


def test_files_download_only_when_a_published_guide_offers_them(world, published, files, client):
    response = client.get(f"/guides/files/{files['blank'].pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/msword"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"blank form bytes"
    assert client.get(reverse("catalog_file", kwargs={"file_id": files["result"].pk})).status_code == 200

    stray = make_file("内部文件.pdf", b"secret", "application/pdf")
    assert client.get(f"/guides/files/{stray.pk}/").status_code == 404
    assert client.get("/guides/files/999999/").status_code == 404
    # a file only a draft refers to is not public
    drafted = make_file("草稿表格.docx", b"draft", "application/msword")
    make_implementation(
        world,
        item=make_item(world, base_code="DRAFT-2", name="另一事项"),
        materials=[{"key": "a", "name": "表", "blank_form": str(drafted.pk)}],
    )
    assert client.get(f"/guides/files/{drafted.pk}/").status_code == 404


def test_url_helpers_point_at_the_guide_pages(published):
    assert guide_url(published) == f"/guides/{published.pk}/"
    assert guide_version_url(published.current_version) == f"/guides/{published.pk}/v1/"
    assert reverse(
        "guide_version", kwargs={"implementation_id": published.pk, "number": 1}
    ) == guide_version_url(published.current_version)


def test_guides_are_public_for_anonymous_visitors(published):
    anonymous = Client()
    for path in (
        f"/guides/{published.pk}/",
        f"/guides/{published.pk}/v1/",
        f"/guides/{published.pk}/guide.pdf",
        f"/guides/{published.pk}/qr.svg",
    ):
        assert anonymous.get(path).status_code == 200, path
    assert anonymous.post(f"/guides/{published.pk}/").status_code == 405
