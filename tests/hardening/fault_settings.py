"""Settings of the servers the fault tests start: the workers' test settings with the
production API throttles and sign-in rate limits back on, so that they meet the outage too."""

from portal.settings import REST_FRAMEWORK as PRODUCTION_REST_FRAMEWORK
from tests.worker_settings import *  # noqa: F403

REST_FRAMEWORK = PRODUCTION_REST_FRAMEWORK
# allauth's own sign-in rate limits apply again
del ACCOUNT_RATE_LIMITS  # noqa: F821
