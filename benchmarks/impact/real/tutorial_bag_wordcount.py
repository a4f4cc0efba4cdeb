"""
Counting words with dask.bag
============================

A first look at ``dask.bag``: make a bag from a list of documents, split them into
words, count the words and look at the most common ones. Run it with
``python tutorial_bag_wordcount.py``.
"""

import hashlib

import dask.bag as db

# Some documents to play with. In a real workflow these would come from
# db.read_text("data/*.txt").
vocabulary = ["dask", "bag", "array", "frame", "delayed", "graph", "task", "worker"]
documents = []
for i in range(3000):
    words = [vocabulary[(i * j + j) % len(vocabulary)] for j in range(30)]
    documents.append(" ".join(words))

b = db.from_sequence(documents, npartitions=8)
b.take(1)

# Count the words in all documents
words = b.str.split().flatten()
top = words.frequencies().topk(3, key=lambda pair: pair[1]).compute()
print("most common words:", top)


# Now the length of each document, in characters
def doc_length(doc):
    return len(doc)


lengths = b.map(doc_length)
longest = lengths.max().compute()
total = lengths.sum().compute()
print("longest document:", longest, "characters; all documents:", total)

summary = repr((sorted(count for _, count in top), longest, total))
print("checksum:", hashlib.sha256(summary.encode()).hexdigest()[:16])
