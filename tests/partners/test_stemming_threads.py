"""Words are stemmed alike in every thread: gunicorn's gthread workers search in
several threads at once, and a Snowball stemmer keeps the word it is stemming in
itself (two searches at once failed with IndexError, or could keep a wrong stem
in ``_lexeme``'s cache for the life of the process)."""

import sys
import threading

import pytest

from partners.search import _lexeme

WORDS = [
    "universities",
    "laboratoires",
    "internationalisation",
    "relations",
    "oceanography",
    "nanotechnologies",
    "cooperations",
    "mathematiques",
    "engineering",
    "biodiversite",
    "climatology",
    "informatiques",
]


@pytest.fixture
def switching_often():
    """Threads switched every microsecond, as under load they may be anywhere."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.parametrize("config", ["english", "french"])
def test_words_are_stemmed_alike_in_threads_at_once(switching_often, config):
    stem = _lexeme.__wrapped__  # not from the cache: stemmed each time
    expected = {word: stem(word, config) for word in WORDS}
    wrong, errors = [], []

    def stem_all():
        try:
            for _ in range(200):
                for word in WORDS:
                    if (found := stem(word, config)) != expected[word]:
                        wrong.append((word, found))
        except Exception as error:  # noqa: BLE001 - what a thread raised, told
            errors.append(repr(error))

    threads = [threading.Thread(target=stem_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert not wrong
