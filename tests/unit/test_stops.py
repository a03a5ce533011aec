"""The stop-sequence buffer: stops spanning tokens, held-back text, nothing after a stop."""

from providers.embedded.stops import StopBuffer


def feed(buf: StopBuffer, pieces: list[str]) -> str:
    return "".join(buf.push(p) for p in pieces) + buf.flush()


def test_no_stops_passes_everything_through_at_once():
    buf = StopBuffer(())
    assert buf.push("Bon") == "Bon"
    assert buf.push("jour") == "jour"
    assert buf.flush() == ""


def test_a_stop_spanning_three_tokens_cuts_before_it():
    buf = StopBuffer(("\n\nQ:",))
    assert feed(buf, ["Réponse", " : oui", "\n", "\nQ", ":", " encore"]) == "Réponse : oui"
    assert buf.stopped


def test_text_that_might_start_a_stop_is_held_then_released():
    buf = StopBuffer(("END",))
    assert buf.push("abcE") == "ab"  # the last len("END") - 1 characters wait
    assert buf.push("x") == "c"
    assert buf.flush() == "Ex"
    assert not buf.stopped


def test_the_earliest_of_several_stops_wins():
    buf = StopBuffer(("world", "lo w"))
    assert feed(buf, ["hel", "lo wor", "ld"]) == "hel"


def test_nothing_is_emitted_after_a_stop():
    buf = StopBuffer(("#",))
    assert buf.push("a#b") == "a"
    assert buf.push("more") == ""
    assert buf.flush() == ""


def test_without_a_stop_everything_comes_out_by_the_end():
    buf = StopBuffer(("STOP",))
    text = ["Il ", "était ", "une ", "fois", " ST", "O"]
    assert feed(buf, text) == "".join(text)
    assert not buf.stopped
