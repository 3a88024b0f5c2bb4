"""Fault tests reuse the voting and committees fixtures: an open ballot, a committee."""

from tests.committees.conftest import *  # noqa: F403
from tests.voting.conftest import *  # noqa: F403
