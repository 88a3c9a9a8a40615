"""Print a `.env` with freshly generated keys for a local demo: `python -m portal.secrets`."""

import base64
import os
import secrets

if __name__ == "__main__":
    print("# Generated for a local demo. Do not reuse these keys in production.")
    print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
    print(f"KEY_ENCRYPTION_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}")
