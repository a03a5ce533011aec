"""Browser: Compare with "Sortie JSON" and a schema: an invalid schema is said before anything
runs; a valid one gives "JSON valide" and the pretty-printed JSON in each column."""

import json
import re

import pytest
from conftest import UI_LONG_TIMEOUT_MS, UI_TIMEOUT_MS

pytestmark = pytest.mark.browser

SCHEMA = {"type": "object", "properties": {"sigle": {"type": "string", "maxLength": 10},
                                           "annee": {"type": "integer"}}, "required": ["sigle", "annee"]}


def test_compare_json_output_with_a_schema_is_valid_in_each_column(app_server, page):
    page.goto(app_server)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    selects = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
    selects.nth(1).wait_for(timeout=UI_TIMEOUT_MS)
    for i, label in enumerate(["SmolLM2 135M Instruct (chat, embarqué)", "Gemma 3 270M base (complétion, embarqué)"]):
        selects.nth(i).click()
        page.get_by_role("option", name=label, exact=True).click()
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill("La SNCF en JSON :")
    prompt.press("Control+Enter")
    page.get_by_text("Sortie JSON", exact=True).click(timeout=UI_TIMEOUT_MS)
    box = page.get_by_role("textbox", name="Schéma JSON (optionnel)")
    box.wait_for(timeout=UI_TIMEOUT_MS)

    box.fill('{"type": "objet"}')
    box.press("Control+Enter")
    page.get_by_text("Le schéma JSON est invalide en type").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"Lancer$")).click(timeout=UI_TIMEOUT_MS)
    page.get_by_text("Le schéma JSON est invalide en type").wait_for(timeout=UI_TIMEOUT_MS)
    assert page.locator(".pg-metrics").count() == 0  # nothing ran
    assert box.input_value() == '{"type": "objet"}'  # nothing typed is lost

    box.fill(json.dumps(SCHEMA))
    box.press("Control+Enter")
    page.get_by_text("Schéma valide").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile(r"Lancer$")).click(timeout=UI_TIMEOUT_MS)
    valid = page.get_by_text("JSON valide — conforme au schéma")
    valid.nth(1).wait_for(timeout=UI_LONG_TIMEOUT_MS)
    assert valid.count() == 2
    codes = page.locator('[data-testid="stCode"]').filter(has_text='"sigle"')
    codes.nth(1).wait_for(timeout=UI_TIMEOUT_MS)
    for i in range(2):
        value = json.loads(codes.nth(i).inner_text())
        assert set(value) == {"sigle", "annee"} and isinstance(value["annee"], int)


def test_sncf_exercise_button_fills_prompt_and_schema(app_server, page):
    page.goto(app_server)
    page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("button", name="Charger l'exercice SNCF").click(timeout=UI_TIMEOUT_MS)
    box = page.get_by_role("textbox", name="Schéma JSON (optionnel)")
    box.wait_for(timeout=UI_TIMEOUT_MS)
    assert json.loads(box.input_value())["required"] == ["conversations"]
    assert "acronyme SNCF" in page.get_by_label("Prompt", exact=True).input_value()
    page.get_by_text("Schéma valide").wait_for(timeout=UI_TIMEOUT_MS)
