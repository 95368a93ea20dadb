#!/bin/bash
# The benchmark's build: `go build`, with its start and end appended to tmp/build-times.
# bash's EPOCHREALTIME needs no extra process, so almost nothing but `go build` is timed.
start=$EPOCHREALTIME
go build -o ./tmp/main .
rc=$?
echo "$start $EPOCHREALTIME" >> tmp/build-times
exit $rc
