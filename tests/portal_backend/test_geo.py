import pytest


def names(response):
    assert response.status_code == 200, response.text
    return [row["name_en"] for row in response.json()]


def test_all_22_districts_with_bengali(api):
    rows = api.get("/geo/districts").json()
    assert len(rows) == 22
    assert all(r["name_bn"] and r["code"].startswith("32") for r in rows)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Koch Bihar", "Cooch Behar"),
        ("cooch behar", "Cooch Behar"),
        ("কোচবিহার", "Cooch Behar"),
        ("Hugli", "Hooghly"),
        ("হুগলী", "Hooghly"),
        ("Haora", "Howrah"),
        ("হাওড়া", "Howrah"),
        ("Puruliya", "Purulia"),
        ("24 Parganas South", "South 24 Parganas"),
        ("south24parganas", "South 24 Parganas"),
        ("West Burdwan", "Paschim Bardhaman"),
        ("East Midnapore", "Purba Medinipur"),
        ("বাকুড়া", "Bankura"),
    ],
)
def test_district_spelling_variants(api, query, expected):
    assert names(api.get("/geo/districts", params={"q": query})) == [expected]


def test_ambiguous_district_name_gives_candidates(api):
    assert set(names(api.get("/geo/districts", params={"q": "Burdwan"}))) == {
        "Paschim Bardhaman",
        "Purba Bardhaman",
    }


def test_block_search(api):
    rows = api.get("/geo/panchayat-samitis", params={"q": "amta 1"}).json()
    assert [r["name_en"] for r in rows] == ["Amta-I"] and rows[0]["district_name_en"] == "Howrah"
    assert names(api.get("/geo/panchayat-samitis", params={"q": "উদয়নারায়ণপুর"})) == ["Udaynarayanpur"]
    assert set(names(api.get("/geo/panchayat-samitis", params={"q": "Sankrail"}))) == {"Sankrail"}
    assert len(api.get("/geo/panchayat-samitis", params={"q": "Sankrail"}).json()) == 2
    only_howrah = api.get("/geo/panchayat-samitis", params={"q": "Sankrail", "district": "Haora"})
    assert [r["district_name_en"] for r in only_howrah.json()] == ["Howrah"]
    assert api.get("/geo/panchayat-samitis", params={"q": "x"}).status_code == 400


def test_gp_search_and_office(api):
    rows = api.get("/geo/gram-panchayats", params={"q": "Dogachi"}).json()
    assert "3208012002" in [r["code"] for r in rows]
    assert len(rows) >= 2  # also "Dogachhi" in Nadia: the bot must ask which
    howrah = api.get("/geo/gram-panchayats", params={"q": "দোগাছি", "block": "3208012"}).json()
    assert [r["code"] for r in howrah] == ["3208012002"]
    assert howrah[0]["block_name_en"] == "Udaynarayanpur" and howrah[0]["invented"] is False
    office = api.get("/geo/gram-panchayats/3208012002/office").json()
    assert office["name_bn"] == "দোগাছি" and office["phone"] and office["address_en"]
    assert len(api.get("/geo/gram-panchayats", params={"q": "Rampur"}).json()) >= 3
