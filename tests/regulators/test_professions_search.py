"""Find your regulator: an applicant types a profession, in English or French, or a NOC code."""

import pytest
from fastapi.testclient import TestClient

from regulators.registry import load_registry
from regulators.search import fold, search_professions

FIRST = [
    ("nurse", "cno", "nursing", "exact"),
    ("Nurse", "cno", "nursing", "exact"),
    ("infirmière", "cno", "nursing", "prefix"),
    ("infirmiere", "cno", "nursing", "prefix"),
    ("INFIRMIÈRE", "cno", "nursing", "prefix"),
    ("engineer", "peo", "engineering", "word"),
    ("ingénieur", "peo", "engineering", "prefix"),
    ("ingenieur", "peo", "engineering", "prefix"),
    ("21300", "peo", "engineering", "exact"),  # NOC 2021: civil engineers
    ("31301", "cno", "nursing", "exact"),  # NOC 2021: registered nurses
    ("registered nurse", "cno", "nursing", "exact"),
    ("pharmacien", "ocp", "pharmacy", "prefix"),
    ("avocat", "lso", "law", "prefix"),
]


@pytest.mark.parametrize(("q", "regulator", "profession", "match"), FIRST)
def test_the_right_regulator_comes_first(
    client: TestClient, q: str, regulator: str, profession: str, match: str
) -> None:
    response = client.get("/api/v1/professions", params={"q": q})
    assert response.status_code == 200, response.text
    first = response.json()["items"][0]
    assert (first["regulator"]["slug"], first["profession"]["slug"], first["match"]) == (
        regulator, profession, match)


def test_a_whole_word_ranks_before_the_start_of_a_longer_word() -> None:
    # "engineer" is a word of "Professional Engineer" but only the start of "Engineering ...".
    hits = search_professions(load_registry(), "engineer")
    assert [h.regulator.slug for h in hits[:2]] == ["peo", "oacett"]
    assert [h.kind for h in hits[:2]] == ["word", "prefix"]


def test_exact_then_prefix_then_substring() -> None:
    registry = load_registry()
    kinds = [h.rank for h in search_professions(registry, "therap")]
    assert kinds == sorted(kinds) and len(kinds) >= 3
    assert search_professions(registry, "dentist")[0].kind == "exact"
    assert search_professions(registry, "entist")[0].kind == "substring"


def test_folding_ignores_accents_case_and_punctuation() -> None:
    assert fold("  Infirmière AUXILIAIRE-autorisée ") == "infirmiere auxiliaire autorisee"
    assert fold("Ingénieur (ing.)") == "ingenieur ing"


def test_a_noc_prefix_finds_every_profession_in_the_group(client: TestClient) -> None:
    body = client.get("/api/v1/professions", params={"q": "2130"}).json()
    assert {i["regulator"]["slug"] for i in body["items"]} == {"peo"}
    assert all(i["match"] == "prefix" for i in body["items"])


def test_names_come_in_the_language_asked_for(client: TestClient) -> None:
    fr = client.get("/api/v1/professions", params={"q": "nurse", "lang": "fr"}).json()
    assert fr["lang"] == "fr"
    assert fr["items"][0]["profession"]["name"] == "Infirmière ou infirmier"
    assert fr["items"][0]["regulator"]["name"] == "Ordre des infirmières et infirmiers de l'Ontario"
    by_header = client.get("/api/v1/professions", params={"q": "infirmière"},
                           headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).json()
    assert by_header["lang"] == "fr"


def test_results_page_with_limit_and_offset(client: TestClient) -> None:
    everything = client.get("/api/v1/professions", params={"q": "o", "limit": 50}).json()
    assert everything["total"] > 5
    page = client.get("/api/v1/professions", params={"q": "o", "limit": 2, "offset": 2}).json()
    assert [i["profession"]["slug"] for i in page["items"]] == [
        i["profession"]["slug"] for i in everything["items"][2:4]]
    assert page["total"] == everything["total"]


def test_nothing_found_is_an_empty_list_not_an_error(client: TestClient) -> None:
    body = client.get("/api/v1/professions", params={"q": "astronaut"}).json()
    assert (body["total"], body["items"]) == (0, [])


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"q": ""}, "at least 1 character"),
        ({"q": "   "}, "needs a letter or a digit"),
        ({"q": "¿?!"}, "needs a letter or a digit"),
        ({"q": "n" * 101}, "at most 100 characters"),
        ({}, "q"),
        ({"q": "nurse", "limit": 51}, "limit"),
        ({"q": "nurse", "offset": -1}, "offset"),
        ({"q": "nurse", "lang": "de"}, "lang"),
    ],
)
def test_a_bad_query_is_a_clear_422(client: TestClient, params: dict[str, object],
                                    needle: str) -> None:
    response = client.get("/api/v1/professions", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request" and needle in body["message"]


@pytest.mark.parametrize(("q", "regulator", "profession"), [
    ("doctor", "cpso", "medicine"),
    ("médecin de famille", "cpso", "medicine"),
    ("electrician", "sto", "compulsory-trades"),
    ("électricienne", "sto", "compulsory-trades"),
    ("plumber", "sto", "compulsory-trades"),
    ("plombier", "sto", "compulsory-trades"),
    ("nurse practitioner", "cno", "nursing"),
    ("vet", "cvo", "veterinary-medicine"),
])
def test_everyday_words_find_the_profession_they_mean(q: str, regulator: str, profession: str) -> None:
    first = search_professions(load_registry(), q)[0]
    assert (first.regulator.slug, first.profession.slug) == (regulator, profession)
    assert first.everyday_word


def test_a_professions_own_name_comes_before_an_everyday_word() -> None:
    first = search_professions(load_registry(), "infirmière")[0]
    assert first.text == "Infirmière ou infirmier" and not first.everyday_word


def test_every_everyday_word_names_a_profession_of_the_registry() -> None:
    from regulators.search import everyday_words

    registry = load_registry()
    known = {(r.slug, p.slug) for r in registry.regulators.values() for p in r.professions}
    unknown = sorted(set(everyday_words()) - known)
    assert not unknown, f"regulators/everyday_words.toml names no such profession: {unknown}"
