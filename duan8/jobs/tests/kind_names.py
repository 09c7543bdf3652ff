"""The test kinds' names and paths (no imports: the worker's settings read it before Django)."""

KINDS = {
    "tests.echo": "duan8.jobs.tests.kinds.ECHO",
    "tests.broken": "duan8.jobs.tests.kinds.BROKEN",
    "tests.refused": "duan8.jobs.tests.kinds.REFUSED",
    "tests.slow_write": "duan8.jobs.tests.kinds.SLOW_WRITE",
}
