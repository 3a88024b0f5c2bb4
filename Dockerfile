FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=omakouvola.settings.production

# WeasyPrint needs Pango; gettext compiles the translations; xmlsec1 signs and decrypts SAML.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core gettext xmlsec1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements-prod.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements-prod.lock

COPY . .
# Throw-away values: production settings refuse to load without them, even to collect
# static files; the real ones come from the environment at run time.
RUN python manage.py compilemessages --ignore=.venv -v 0 \
 && SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz \
    VOTE_SECRET=collectstatic-only-vote-secret-0123456789 \
    EMAIL_URL=dummymail:// REDIS_URL=redis://127.0.0.1:1/0 \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0

# Public uploads and private files (letters, minutes, attachments, reports) are two
# volumes owned by the app user; web and worker mount both (docker-compose.yml).
ENV MEDIA_ROOT=/app/media PRIVATE_MEDIA_ROOT=/app/media-private
RUN useradd --system --uid 1000 omakouvola && mkdir -p /app/media /app/media-private \
 && chown omakouvola /app/media /app/media-private \
 && chmod 0750 /app/media-private
USER omakouvola
EXPOSE 8000
CMD ["gunicorn", "omakouvola.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
