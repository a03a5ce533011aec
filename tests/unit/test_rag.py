"""Mini-RAG core without an embedding model: chunk sizes and overlaps exact, sentence-aware cuts,
documents read from text and from a real PDF written here byte by byte, the limits, the augmented
prompt exactly, and the two requests (with and without the context)."""

import pytest
from support.pdf import make_pdf

from playground.i18n import catalogue, translate
from playground.rag import (
    MAX_BYTES,
    MAX_CHUNKS,
    Chunk,
    Document,
    Hit,
    RagError,
    answer_requests,
    build_prompt,
    check_total_size,
    chunk_documents,
    chunk_spans,
    read_document,
    split_pasted,
)

# --- chunking -----------------------------------------------------------------------------------

def test_character_chunks_have_exact_sizes_and_overlaps():
    text = "abcdefghijklmnopqrstuvwxyz" * 4  # 104 characters, no sentence ends
    spans = chunk_spans(text, 30, 10, sentences=False)
    assert spans == [(0, 30), (20, 50), (40, 70), (60, 90), (80, 104)]
    for (_s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 - s2 == 10  # the overlap, exactly
    assert "".join(text[s:e][10 if i else 0:] for i, (s, e) in enumerate(spans)) == text


def test_no_overlap_tiles_the_text_and_bad_settings_are_refused():
    assert chunk_spans("x" * 25, 10, 0, sentences=False) == [(0, 10), (10, 20), (20, 25)]
    assert chunk_spans("", 10, 0) == []
    with pytest.raises(ValueError):
        chunk_spans("abc", 10, 10)
    with pytest.raises(ValueError):
        chunk_spans("abc", 0, 0)


def test_a_cut_moves_back_to_the_end_of_a_sentence_and_keeps_the_overlap():
    text = "Le chat dort sur le tapis. Le chien aboie très fort dehors. Fin."
    spans = chunk_spans(text, 40, 5)
    # 40 characters would stop inside "aboie"; the sentence ending at 27 is in the second half
    assert spans[0] == (0, 27)
    assert text[spans[0][0]:spans[0][1]] == "Le chat dort sur le tapis. "
    assert spans[1][0] == 27 - 5
    for (s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 - s2 == 5
        assert e1 - s1 <= 40
    assert spans[-1][1] == len(text)


def test_no_sentence_end_in_the_second_half_means_a_full_size_cut():
    text = "Un. " + "x" * 60
    assert chunk_spans(text, 30, 0)[0] == (0, 30)  # "Un. " is in the first half: not used


def test_documents_are_numbered_per_document_and_keep_their_offsets():
    docs = [Document("a.txt", "x" * 25), Document("b.md", "y" * 10)]
    chunks = chunk_documents(docs, 10, 0, sentences=False)
    assert [(c.doc, c.index, c.start, c.end) for c in chunks] == [
        ("a.txt", 1, 0, 10), ("a.txt", 2, 10, 20), ("a.txt", 3, 20, 25), ("b.md", 1, 0, 10)]
    assert all(c.text == next(d.text for d in docs if d.name == c.doc)[c.start:c.end] for c in chunks)


def test_too_many_chunks_is_refused_with_what_to_do():
    docs = [Document("big.txt", "z" * (10 * (MAX_CHUNKS + 1)))]
    assert len(chunk_documents(docs, 10 * (MAX_CHUNKS + 1) // MAX_CHUNKS + 1, 0, sentences=False)) <= MAX_CHUNKS
    with pytest.raises(RagError) as err:
        chunk_documents(docs, 10, 0, sentences=False)
    assert err.value.code == "rag.err.too_many_chunks"
    assert "200" in translate(err.value.code, "en", **err.value.params)
    assert "augmentez la taille" in translate(err.value.code, "fr", **err.value.params)


# --- documents ----------------------------------------------------------------------------------

def test_text_files_utf8_bom_and_windows_1252():
    assert read_document("notes.TXT", "\ufeffÉté à Lyon".encode("utf-8")).text == "Été à Lyon"
    assert read_document("vieux.md", "Été à Lyon".encode("cp1252")).text == "Été à Lyon"


def test_pdf_text_is_read_page_by_page():
    doc = read_document("rapport.pdf", make_pdf(["The reactor core is cooled by sodium.", "Page two says hello."]))
    assert doc.name == "rapport.pdf"
    assert "The reactor core is cooled by sodium." in doc.text
    assert doc.text.index("sodium") < doc.text.index("Page two")


@pytest.mark.parametrize("data", [b"not a pdf at all", make_pdf(["cut short"])[:60]])
def test_an_unreadable_pdf_says_so(data):
    with pytest.raises(RagError) as err:
        read_document("broken.pdf", data)
    assert err.value.code == "rag.err.pdf_unreadable"
    assert "broken.pdf" in translate(err.value.code, "fr", **err.value.params)


def test_a_pdf_without_text_and_other_types_are_refused():
    with pytest.raises(RagError) as err:
        read_document("scan.pdf", make_pdf([""]))
    assert err.value.code == "rag.err.pdf_no_text"
    with pytest.raises(RagError) as err:
        read_document("photo.png", b"\x89PNG")
    assert err.value.code == "rag.err.file_type" and err.value.params["types"] == "txt, md, markdown, pdf"
    with pytest.raises(RagError) as err:
        read_document("vide.txt", b"  \n")
    assert err.value.code == "rag.err.empty_file"


def test_size_limit_on_the_total():
    check_total_size([MAX_BYTES - 1, 1])  # exactly the limit passes
    with pytest.raises(RagError) as err:
        check_total_size([MAX_BYTES, 1])
    assert err.value.code == "rag.err.too_big"
    assert err.value.params == {"size": 5.1, "limit": 5.0}


def test_pasted_documents_split_on_a_rule_line():
    assert split_pasted("one\nline\n---\ntwo\n  ---  \n\n---\nthree") == ["one\nline", "two", "three"]
    assert split_pasted("a --- b") == ["a --- b"]


# --- the prompt and the two requests -------------------------------------------------------------

HITS = [Hit(1, Chunk("paris.txt", 2, 40, 80, " The Eiffel Tower is 330 m tall. \n"), 0.8123),
        Hit(2, Chunk("texte 1", 1, 0, 20, "Lyon has two rivers."), 0.41)]


def test_augmented_prompt_in_english_exactly():
    assert build_prompt("  How tall is the Eiffel Tower? ", HITS, "en") == (
        "Answer the question using only the context below. If the answer is not there, say so: "
        "\"The context does not say.\"\n\n"
        "Context:\n"
        "[1] (paris.txt, chunk 2)\nThe Eiffel Tower is 330 m tall.\n\n"
        "[2] (texte 1, chunk 1)\nLyon has two rivers.\n\n"
        "Question: How tall is the Eiffel Tower?\n"
        "Answer:")


def test_augmented_prompt_in_french_exactly():
    assert build_prompt("Quelle hauteur ?", HITS[:1], "fr") == (
        "Réponds à la question uniquement à partir du contexte ci-dessous. Si la réponse n'y figure pas, "
        "dis-le\u202f: «\u00a0Le contexte ne le dit pas.\u00a0»\n\n"
        "Contexte\u202f:\n"
        "[1] (paris.txt, extrait 2)\nThe Eiffel Tower is 330 m tall.\n\n"
        "Question\u202f: Quelle hauteur ?\n"
        "Réponse\u202f:")


def test_with_and_without_differ_only_by_the_context():
    prompt = build_prompt("Q?", HITS, "en")
    with_ctx, without = answer_requests("embedded/m", True, prompt, " Q? ", max_tokens=32, temperature=0.0)
    assert [m.content for m in with_ctx.messages] == [prompt]
    assert [m.content for m in without.messages] == ["Q?"]
    assert with_ctx.model == without.model == "embedded/m"
    assert (with_ctx.max_tokens, with_ctx.temperature) == (without.max_tokens, without.temperature) == (32, 0.0)
    raw_with, raw_without = answer_requests("embedded/base", False, prompt, "Q?")
    assert (raw_with.prompt, raw_without.prompt) == (prompt, "Q?")


def test_every_refusal_code_is_translated():
    import inspect

    import playground.rag as rag
    codes = set(__import__("re").findall(r'"(rag\.err\.[a-z_]+)"', inspect.getsource(rag)))
    assert codes and not codes - set(catalogue())


def test_question_words_are_marked_in_a_chunk():
    from playground.rag import highlight_segments

    segs = highlight_segments("The Eiffel tower is tall; towers are TALL.", "how TALL is the Eiffel Tower?")
    assert "".join(s for s, _ in segs) == "The Eiffel tower is tall; towers are TALL."
    assert [s for s, marked in segs if marked] == ["The", "Eiffel", "tower", "tall", "TALL"]
    assert highlight_segments("abc", "") == [("abc", False)]
