from summarizer.chunking import pack_windows
from summarizer.text import prepare


def test_every_sentence_of_a_long_article_lands_in_exactly_one_window(bart_engine, long_article):
    sentences = prepare(long_article).sentences
    assert len(" ".join(sentences).split()) >= 10_000
    windows = bart_engine.windows(sentences)

    counts = bart_engine.count_tokens(windows)
    assert max(counts) <= bart_engine.max_input_tokens
    # Windows are the sentences, in order, each used once: re-joining gives the article back.
    assert " ".join(windows).split() == " ".join(sentences).split()
    # Walk the windows with a cursor: each sentence that fits a window is found whole, in order,
    # in one window (oversized ones were split across windows, checked by the re-join above).
    window, offset = 0, 0
    for sentence in sentences:
        if bart_engine.count_tokens([sentence])[0] > bart_engine.max_input_tokens:
            continue
        position = windows[window].find(sentence, offset)
        while position < 0:
            window, offset = window + 1, 0
            assert window < len(windows), f"sentence not whole in any window: {sentence[:60]}"
            position = windows[window].find(sentence)
        offset = position + len(sentence)
    assert window == len(windows) - 1


def test_a_sentence_longer_than_a_window_is_split_not_dropped(bart_engine):
    giant = " ".join(f"word{i}" for i in range(600)) + "."
    windows = bart_engine.windows(["Short opener.", giant, "Short closer."])
    assert len(windows) > 2
    assert " ".join(windows).split() == ["Short", "opener.", *giant.split(), "Short", "closer."]
    assert max(bart_engine.count_tokens(windows)) <= bart_engine.max_input_tokens


def test_packing_fills_windows_greedily():
    def count(texts):
        return [len(t.split()) for t in texts]

    sentences = ["a b c", "d e", "f g h i", "j"]
    assert pack_windows(sentences, count, 5) == ["a b c d e", "f g h i j"]
    assert pack_windows(["one two three four five six"], count, 4) == [
        "one two three",
        "four five six",
    ]
