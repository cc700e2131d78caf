from pathlib import Path

import drf_spectacular
from django.urls import reverse

import navigator

PACKAGE_TEMPLATE = Path(drf_spectacular.__file__).parent / "templates" / "drf_spectacular" / "swagger_ui.html"
OUR_TEMPLATE = Path(navigator.__file__).parent / "templates" / "drf_spectacular" / "swagger_ui.html"


def test_the_api_docs_page_names_its_language(client, login, people):
    login(people["navigator"])
    page = client.get(reverse("api-docs")).content.decode()
    assert '<html lang="en">' in page, "a screen reader reads the page in English"
    assert '<div id="swagger-ui"></div>' in page


def test_the_swagger_template_differs_from_the_pinned_package_only_by_its_language():
    """Upgrading drf-spectacular fails here until the override is copied again from its new template."""
    package = PACKAGE_TEMPLATE.read_text()
    assert package.count("<html>") == 1
    assert OUR_TEMPLATE.read_text() == package.replace("<html>", '<html lang="en">')
