"""Encryption at rest (等保 数据保密性): sensitive fields and uploaded files sealed with SM4-GCM from the
``cryptography`` package, the keys kept outside the database (see keys.py)."""
