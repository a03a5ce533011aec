"""The one SSE reader: events as the openai SDK's decoder reads them, up to OpenAI's [DONE]."""

import pytest

from providers.sse import sse_data, sse_json


def test_events_end_at_their_blank_line_and_stop_at_done():
    lines = ['data: {"a": 1}', "", 'data: {"a": 2}', "", "data: [DONE]", "", 'data: {"after": true}', ""]
    assert list(sse_data(lines)) == ['{"a": 1}', '{"a": 2}']


def test_comments_other_fields_and_missing_space_are_read_like_the_sdk():
    lines = [": OPENROUTER PROCESSING", "", "id: 7", "event: message", 'data:{"x": 1}', "", "retry: 10", "", ""]
    assert list(sse_data(lines)) == ['{"x": 1}']


def test_one_event_over_several_data_lines_is_joined_with_newlines():
    lines = ['data: {"text":', 'data: "two lines"}', ""]
    assert list(sse_data(lines)) == ['{"text":\n"two lines"}']
    assert list(sse_json(lines)) == [{"text": "two lines"}]


def test_an_event_cut_before_its_blank_line_is_not_yielded():
    assert list(sse_data(['data: {"a": 1}', "", 'data: {"b": 2}'])) == ['{"a": 1}']


def test_a_payload_that_is_not_a_json_object_is_malformed():
    with pytest.raises(ValueError, match="JSON object"):
        list(sse_json(['data: ["Un plat"]', ""]))
    with pytest.raises(ValueError):
        list(sse_json(['data: {"id": "x", "choices": [', ""]))
