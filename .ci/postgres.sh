#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 and write a DATABASE_URL for it to
# .ci/.postgres-url. Installs and starts Debian's server when none is there.
set -euo pipefail
cd "$(dirname "$0")"

answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! answers; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
answers || { echo "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }

if psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  url="postgres://postgres@127.0.0.1:5432/ficarchive"
else
  # A stock install asks for a password over TCP: give the postgres role one for CI.
  su postgres -c "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\""
  url="postgres://postgres:postgres@127.0.0.1:5432/ficarchive"
fi
echo "$url" > .postgres-url
echo "PostgreSQL ready: $url"
