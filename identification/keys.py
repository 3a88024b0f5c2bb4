"""Key pairs for the local test identity service and a development SP.

Generated on first use into IDENTIFICATION_KEY_DIR (gitignored `var/keys/`), never
committed: a repository must not hold a private key, not even a test one. Production keys
come from the files named in SUOMIFI_SP_KEY_FILE / SUOMIFI_SP_CERT_FILE.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class KeyPair:
    key_file: str
    cert_file: str

    def cert_body(self) -> str:
        """The certificate as base64 without PEM armour, as SAML metadata carries it."""
        lines = Path(self.cert_file).read_text().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def key_pair(directory: str | os.PathLike, name: str, common_name: str) -> KeyPair:
    """A self-signed RSA key pair `name`.key/.crt in `directory`, made if missing."""
    folder = Path(directory)
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    if not (key_path.exists() and cert_path.exists()):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .sign(key, hashes.SHA256())
        )
        key_bytes = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key_bytes)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return KeyPair(key_file=str(key_path), cert_file=str(cert_path))
