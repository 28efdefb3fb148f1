import pytest


@pytest.mark.smoke
@pytest.mark.django_db
def test_health_endpoints_answer(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "ok"
