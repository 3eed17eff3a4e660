"""Backup and restore (等保 数据备份恢复): a consistent online snapshot of the database with the uploads and the
audit log's head, checked on restore (docs/backup.md)."""
