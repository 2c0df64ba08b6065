# attache: build and test in one stage, run in a small one.
#
#   docker build -t attache .
#   docker run -d --name attache -p 8080:8080 attache
#
# The build stage has the -dev packages and runs the whole test suite, so an
# image only exists if the tests passed. The runtime stage has the four
# runtime libraries, the binary (with the dataset and the dashboard built
# in) and a non-root user; the binary is also its own health probe.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      make gcc libc6-dev pkg-config libmicrohttpd-dev libcjson-dev zlib1g-dev libunistring-dev nettle-dev \
      libcriterion-dev libcurl4-openssl-dev curl jq python3 python3-prometheus-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make test \
 && strip --strip-unneeded build/attache \
 && build/attache --check

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libcjson1 zlib1g libunistring2 libnettle8 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin attache
COPY --from=build /src/build/attache /usr/local/bin/attache
COPY config/attache.conf.example /etc/attache/attache.conf.example
USER 10001:10001
ENV ATTACHE_BIND=0.0.0.0 \
    ATTACHE_PORT=8080
EXPOSE 8080
# The server answers its own probe: no curl or shell needed in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=3s --retries=3 \
  CMD ["/usr/local/bin/attache", "--healthcheck"]
# Exec form: the server is PID 1 and gets SIGTERM (docker stop) and SIGHUP itself.
ENTRYPOINT ["/usr/local/bin/attache"]
