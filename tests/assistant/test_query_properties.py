"""Property tests (hypothesis) for the question normaliser: any text is analysed or refused as
empty with a message, within the length limit, never a crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.query import analyse


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000), st.integers(1, 1200))
def test_any_question_is_analysed_or_refused_plainly(text, limit):
    if not text.split():
        with pytest.raises(ValueError, match="empty"):
            analyse(text, max_chars=limit)
        return
    q = analyse(text, max_chars=limit)
    joined = " ".join(text.split())
    assert q.text == joined[:limit] and q.truncated == (len(joined) > limit)
    assert q.lang and q.english and q.expanded
