#!/bin/sh
# The benchmark's build: `go build`, with its start and end appended to tmp/build-times.
mkdir -p tmp
start=$(date +%s.%N)
go build -o ./tmp/main .
rc=$?
echo "$start $(date +%s.%N)" >> tmp/build-times
exit $rc
