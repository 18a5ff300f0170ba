"""count_words reads counts.get(word) before taking the lock and only holds the lock for the write.

Loses: parallel_word_count
"""

from collections import Counter


def count_words(chunk, counts, lock) -> None:
    for word, n in Counter(chunk.split()).items():
        current = counts.get(word, 0)
        with lock:
            counts[word] = current + n
