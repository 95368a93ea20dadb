# A dev container for Go hot reload with reload-doctor in it: Go, air, and a static
# reload-doctor binary. Build the image in reload-doctor's checkout, run it in the Go
# project's folder:
#
#   docker build -t go-dev-doctor .                      # in reload-doctor's checkout
#   docker run --rm -it --init -v "$PWD":/app -p 8080:8080 go-dev-doctor     # in the Go project
#   docker exec -it <container> reload-doctor             # the report, next to the running air
#
# What the container must share, and why (README "In a container" says the same):
# - The project mount (-v "$PWD":/app): reload-doctor must look at the same mount air
#   watches. Whether saves on the host raise inotify events inside the container depends on
#   that mount (a Docker Desktop or virtiofs/9p bind mount drops them: mount-events finds it).
# - The processes (run reload-doctor inside this container with docker exec, or, from
#   another container, --pid=container:<this one>): port-busy, stale-processes and zombies
#   read /proc of the processes air and the app run as; in a separate pid namespace they
#   see none of them. --pid=host sees every host process, more than needed.
# - The network namespace (docker exec, or --network=container:<this one>): which process
#   listens on the app's port is read from this namespace's sockets.
# - --init: a pid 1 that reaps, so restarted apps leave no zombies (the zombies check names
#   a pid 1 that does not).
# The inotify limits (fs.inotify.max_user_watches) are the host kernel's, counted per user
# across containers: raise them on the host or VM; --fix in a container prints the
# commands to run there instead of changing them.

ARG GO_VERSION=1.26

# Alpine's libc is musl: cargo builds a static binary that runs in any Linux image.
FROM rust:1-alpine AS reload-doctor
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && cp target/release/reload-doctor /usr/local/bin/ \
    && ! ldd /usr/local/bin/reload-doctor 2>/dev/null | grep -q '=>'

FROM golang:${GO_VERSION}
RUN go install github.com/air-verse/air@v1.67.4
COPY --from=reload-doctor /usr/local/bin/reload-doctor /usr/local/bin/reload-doctor
RUN mkdir -p /etc/bash_completion.d \
    && reload-doctor completions bash > /etc/bash_completion.d/reload-doctor
WORKDIR /app
CMD ["air"]
