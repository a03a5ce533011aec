"""The Compare page becomes usable without any model's weights in memory: it is drawn from the
GGUF headers, and the first Run loads the models (issue 11). Checked in a fresh Python process
(the models are process-wide, and other tests in this session may have loaded them) through
the process's own registry of loaded models and running schedulers."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from streamlit.testing.v1 import AppTest
from providers.embedded import engines
from providers.embedded.model import loaded_models

def state(at):
    return {
        "loaded": loaded_models(),
        "engines": sorted(engines()),
        "exception": [str(e.value) for e in at.exception],
        "errors": [e.value for e in at.error],
        "run_button": [b.label for b in at.button if b.key == "cmp_run"],
        "pickers": [at.selectbox(key=k).value for k in ("cmp_model_0", "cmp_model_1")],
        "captions": [c.value for c in at.caption],
        "metrics": sum("pg-metrics" in m.value for m in at.markdown),
    }

at = AppTest.from_file(sys.argv[1] + "/app.py", default_timeout=600)
at.run()
before = state(at)
at.text_area(key="cmp_prompt").set_value("La souris de l'ordinateur est un")
at.number_input(key="cmp_col0_max_tokens").set_value(4)
at.number_input(key="cmp_col1_max_tokens").set_value(4)
at.button(key="cmp_run").click().run()
after = state(at)
print("STATE " + json.dumps({"before": before, "after": after}))
"""


def test_compare_page_is_usable_before_any_weights_load_and_the_first_run_loads_them():
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], cwd=ROOT, capture_output=True, text=True,
                          timeout=1200)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("STATE ")), None)
    assert line is not None, proc.stdout[-2000:] + proc.stderr[-4000:]
    s = json.loads(line[len("STATE "):])
    before, after = s["before"], s["after"]

    assert before["exception"] == [] and before["errors"] == []
    assert before["run_button"] == ["Lancer"]
    assert before["pickers"] == ["embedded/smollm2-135m-instruct", "embedded/gemma-3-270m"]
    # each column's facts are on the page, read from the header: vocabulary and context
    assert any("vocabulaire : 49\u202f152 tokens" in c and "contexte : 2\u202f048 tokens" in c for c in before["captions"])
    assert any("vocabulaire : 262\u202f144 tokens" in c and "quantification : Q4_K_M" in c for c in before["captions"])
    assert before["loaded"] == [] and before["engines"] == []  # nothing in memory yet

    assert after["exception"] == [] and after["errors"] == []
    assert after["metrics"] == 2  # both columns answered
    assert len(after["loaded"]) == 2 and len(after["engines"]) == 2  # the first Run loaded both
    assert any("chargement à froid" in c for c in after["captions"])  # and said it was a cold load
