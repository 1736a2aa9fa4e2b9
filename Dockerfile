# syntax=docker/dockerfile:1
# briefbot as a container image. Configuration comes only from environment variables
# (README.md, "Configuration"); the shipped knowledge lives in /app/knowledge and can be
# replaced by mounting a directory there: docker run -v ./knowledge:/app/knowledge:ro ...

# Build stage: a wheel of the project, installed with its pinned dependencies into a virtual
# environment that the runtime stage copies. Build tools and pip stay behind in this stage.
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src

# The build backend, at the version constraints.txt pins, in a throwaway environment.
COPY constraints.txt ./
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install --no-cache-dir --constraint constraints.txt hatchling

COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY knowledge/ knowledge/
COPY seeds/ seeds/

# Every runtime dependency comes at the exact version constraints.txt pins, so builds repeat.
RUN /opt/build/bin/pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels . \
    && python -m venv /opt/briefbot \
    && /opt/briefbot/bin/pip install --no-cache-dir --constraint constraints.txt /wheels/briefbot-*.whl \
    && /opt/briefbot/bin/pip uninstall --yes pip setuptools

# Runtime stage: the slim base, the environment, the knowledge and a user without privileges.
FROM python:3.11-slim

LABEL org.opencontainers.image.title="briefbot" \
      org.opencontainers.image.description="A Discord bot that briefs people on a news article."

ENV PATH=/opt/briefbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BRIEFBOT_KNOWLEDGE=/app/knowledge \
    BRIEFBOT_DATA=/data

# /data holds what the bot writes (each server's settings, the audit log): a volume of its own,
# writable by the bot's user, so settings outlive the container.
RUN groupadd --gid 10001 briefbot \
    && useradd --no-log-init --uid 10001 --gid briefbot \
        --home-dir /app --no-create-home --shell /usr/sbin/nologin briefbot \
    && mkdir /data && chown 10001:10001 /data

COPY --from=build /opt/briefbot /opt/briefbot

WORKDIR /app
# Knowledge files cite their article as ../seeds/<file>, relative to the YAML file.
COPY knowledge/ /app/knowledge/
COPY seeds/ /app/seeds/
# What lasts between runs (server settings, the usage log) is written only to /data.
VOLUME ["/app/knowledge"]
VOLUME ["/data"]

USER 10001:10001

# Exec form: briefbot is PID 1 and gets SIGTERM itself; it shuts the bot down and exits 0.
STOPSIGNAL SIGTERM
# With DISCORD_TOKEN set: the Discord bot; without it: the offline console.
CMD ["briefbot"]
