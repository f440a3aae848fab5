"""The pytest plugin sqlmig installs (entry point ``pytest11``): the features
registered first, so that a project's config/<env>.yaml reads with every
feature's keys, then the fixtures of :mod:`sqlmig.adapters.pytest_plugin`
(``sqlmig_server``, ``sqlmig_project``, ``sqlmig_template``, ``sqlmig_db``)."""

from __future__ import annotations

from . import features  # noqa: F401  (registers the features' config sections)
from .adapters.pytest_plugin import (  # noqa: F401  (pytest collects them from here)
    pytest_addoption,
    sqlmig_db,
    sqlmig_project,
    sqlmig_server,
    sqlmig_template,
)
