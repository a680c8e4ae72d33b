# The portal's image: web (gunicorn), workers (celery worker -Q ...) and beat run from it with different commands
# (deploy/compose.yaml, deploy/README.md). Everything is configured from the environment at run time.

# --- build: dependencies into a virtualenv, static files collected and hashed --------------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal portal
COPY vendors vendors
# Editable: the venv points at /app, where the runtime stage puts the same tree (templates/ and static/ beside it).
RUN /opt/venv/bin/pip install -e .
COPY templates templates
COPY static static
COPY manage.py ./
COPY deploy/probe.py deploy/gunicorn.conf.py deploy/
# Production settings demand secrets; these exist only for this build step and are not kept in the image.
RUN DJANGO_SETTINGS_MODULE=portal.settings.production PORTAL_VAR_DIR=/app/var \
    SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEY=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXJlYWwta3k= \
    /opt/venv/bin/python manage.py collectstatic --no-input -v0 \
 && rm -rf /app/var/broker /app/var/*.secret

# --- runtime: the same tree, no compilers, not root ----------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    PORTAL_VAR_DIR=/app/var DJANGO_SETTINGS_MODULE=portal.settings.production
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER portal
EXPOSE 8000
# No HEALTHCHECK here: workers and beat run from this image too. Each service declares its own (compose.yaml).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "portal.wsgi"]
