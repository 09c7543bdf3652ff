"""Settings of a worker subprocess started by the tests: the project's, plus the test kinds."""

from duan8.jobs.tests.kind_names import KINDS
from duan8.settings import *  # noqa: F403
from duan8.settings import JOB_KINDS

JOB_KINDS = {**JOB_KINDS, **KINDS}
