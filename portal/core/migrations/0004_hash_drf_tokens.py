"""Existing plaintext DRF tokens (`rest_framework.authtoken`, no longer installed) become hashed API tokens.

Each old key is stored as knox stores a new one (SHA-512 of the key, its first 15 characters as `token_key`),
so integrations keep working without a change until the token expires, a full token lifetime from this
migration. Then the plaintext table is dropped, and its migration records with it, so no usable key stays at
rest. Reversing leaves the hashed tokens: a hash cannot give the plaintext back.
"""

import hashlib
from datetime import UTC, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def hash_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("core", "ApiToken")
    expiry = timezone.now() + settings.REST_KNOX.get("TOKEN_TTL", timedelta(days=90))
    with connection.cursor() as cursor:
        columns = ", ".join(schema_editor.quote_name(name) for name in ("key", "user_id", "created"))
        cursor.execute(f"SELECT {columns} FROM {schema_editor.quote_name(OLD_TABLE)}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                digest=hashlib.sha512(key.encode()).hexdigest(),
                token_key=key[:15],
                user_id=user_id,
                expiry=expiry,
                name="Migrated from the plaintext token",
            )
            for key, user_id, _created in rows
        ],
        ignore_conflicts=True,
    )
    # `created` is auto_now_add: keep each token's real age, which the token page shows.
    # SQLite hands a raw query's times back naive; Django stored them in UTC.
    for key, _user_id, created in rows:
        aware = created.replace(tzinfo=UTC) if timezone.is_naive(created) else created
        ApiToken.objects.filter(digest=hashlib.sha512(key.encode()).hexdigest()).update(created=aware)
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_api_token")]
    operations = [migrations.RunPython(hash_plaintext_tokens, migrations.RunPython.noop)]
