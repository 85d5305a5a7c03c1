# Career progression platform: one image for web (gunicorn), Celery worker and Celery beat.
# See docker-compose.yml for how the processes are wired together, and README.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/var/lib/progression/evidence

# Run-time libraries: WeasyPrint (Pango, HarfBuzz subsetting, fontconfig), fonts with Arial's
# metrics (Liberation Sans) for the PDF decision records, and libpq for psycopg2.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-liberation shared-mime-info libpq5 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. psycopg2 builds from source:
# the compiler and headers are removed again in the same layer.
COPY pyproject.toml ./
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libpq-dev \
    && pip install . \
    && apt-get purge -y --auto-remove gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*

COPY . .

# Hashed, compressed static files (WhiteNoise). The build-time secret only lets the
# production settings load; it is discarded with this layer's environment.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v 0 \
    && rm -f /tmp/build.sqlite3

# Non-root: the application owns only the evidence directory (a volume in compose).
RUN groupadd --system --gid 10001 progression \
    && useradd --system --uid 10001 --gid progression --home-dir /app --shell /usr/sbin/nologin progression \
    && mkdir -p "$MEDIA_ROOT" \
    && chown -R progression:progression "$MEDIA_ROOT"
USER progression

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "-m", "config.healthcheck"]
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
