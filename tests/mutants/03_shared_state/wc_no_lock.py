"""count_words updates the Manager dict without the lock: concurrent read-add-writes lose counts.

Loses: parallel_word_count
"""

from collections import Counter


def count_words(chunk, counts, lock) -> None:
    for word, n in Counter(chunk.split()).items():
        counts[word] = counts.get(word, 0) + n  # each call on the proxy is atomic, the pair is not
