"""``raikit serve``: an OpenAI-compatible guard gateway (needs ``pip install 'raikit[serve]'``).

Example:
    >>> from raikit.serve import ServeConfig, create_app
    >>> app = create_app(ServeConfig(upstream="http://127.0.0.1:9000/v1"))  # doctest: +SKIP
"""

from raikit.serve._app import create_app
from raikit.serve._config import Client, KeyStore, ServeConfig, hash_key, load_keys, load_routes

__all__ = ["Client", "KeyStore", "ServeConfig", "create_app", "hash_key", "load_keys", "load_routes"]
