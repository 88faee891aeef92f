"""Shared fixtures for the htx_rules binding tests."""

from __future__ import annotations

import pathlib

import pytest

import htx_rules

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def engine() -> htx_rules.Engine:
    return htx_rules.Engine()


@pytest.fixture(scope="session")
def repo_root() -> pathlib.Path:
    return ROOT
