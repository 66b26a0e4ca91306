# Runlift in a container: the wheel is built in one stage and installed in a slim one, run as a
# non-root user. `docker compose up -d` (compose.yaml) adds PostgreSQL; see README "Deploying".
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core ./core
COPY adapters ./adapters
COPY bot ./bot
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/runlift.db \
    RUNLIFT_FILES=/data/files \
    RUNLIFT_HTTP=0.0.0.0:9090
RUN useradd --create-home --uid 10001 runlift && mkdir -p /data && chown runlift /data
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels
USER runlift
WORKDIR /data
VOLUME /data
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9090/healthz', timeout=4)"]
CMD ["runlift", "run"]
