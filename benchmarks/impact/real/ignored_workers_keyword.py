"""Render thumbnails of a few large synthetic images in parallel processes."""

import hashlib
import sys

import dask


def thumbnail(seed, size):
    """Average each 8x8 tile of a generated grey image, in pure Python."""
    pixels = [[(x * seed + y * 31) % 256 for x in range(size)] for y in range(size)]
    return [
        [
            sum(pixels[y + dy][x + dx] for dy in range(8) for dx in range(8)) // 64
            for x in range(0, size, 8)
        ]
        for y in range(0, size, 8)
    ]


def render_all(seeds, size):
    jobs = [dask.delayed(thumbnail)(seed, size) for seed in seeds]
    return dask.compute(*jobs, scheduler="processes", workers=4)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 480
    thumbs = render_all([3, 5, 7, 11], size)
    print(f"{len(thumbs)} thumbnails of {len(thumbs[0])}x{len(thumbs[0][0])}")
    print("checksum:", hashlib.sha256(repr(thumbs).encode()).hexdigest()[:16])
