"""OCPP security profiles 2 and 3: our own small CA, certificate files and the TLS context.

`ca` makes and checks certificates (the only module using `cryptography`), `files`
keeps them in the per-user data directory, `tls` builds the server's SSLContext.
"""
