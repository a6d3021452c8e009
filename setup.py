"""Build of the C twin of the EDIFACT tokenizer's regular-segment loop.

Everything else about the package is in pyproject.toml. The extension is optional at run
time (``paxwatch.formats.edifact_regular`` falls back to pure Python when it is missing), but
the normal install builds it: it needs a C compiler and the Python headers.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "paxwatch.formats._edifact_fast",
            sources=["src/paxwatch/formats/_edifact_fast.c"],
            extra_compile_args=["-O2"],
        )
    ]
)
