"""The site's settings for bench/public_pages.py: its URLs plus a bare view (bench/urls.py), and its cache
keys under a prefix of the run's own, so that it can share a Redis database without touching other keys."""

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES as SITE_CACHES
from config.settings import STORAGES as SITE_STORAGES

ROOT_URLCONF = "bench.urls"
CACHES = {"default": {**SITE_CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "")}}
# The site's assets hashed as in production, but not compressed: the bench requests none of them, and
# compressing 1,700 files takes collectstatic a minute or more. The bench compresses its own files.
MANIFEST_ONLY = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {**SITE_STORAGES, "staticfiles": {"BACKEND": MANIFEST_ONLY}}
