#!/usr/bin/env python
"""Shim: same as ``python -m duan8``."""

from duan8.__main__ import main

if __name__ == "__main__":
    main()
