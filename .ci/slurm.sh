#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, to test docs/cluster/ as a user
# would run it: installs slurm-wlm and munge from Debian if missing (as root),
# makes a munge key, starts munged, slurmctld and slurmd (this host is the only
# node), submits a sharded sweep with docs/cluster/slurm-submit.sh, waits for
# the merge, and checks the merged folder is byte-identical to the same sweep
# run in one piece. Then a job with --mem must see its own memory limit
# (epiplan's default --max-memory comes from the job's control group).
#
# By hand, from the repository's root, as root:   .ci/slurm.sh
# Keep the work folder for a look:                 KEEP=1 .ci/slurm.sh
# The daemons are stopped on exit. If they cannot start here (no cgroups, no
# munge), the script says why and exits 77, which .ci/run reports as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
start=$(date +%s)

if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		echo "slurm: sbatch or munged missing and not root to install them"; exit 77
	fi
	echo "slurm: installing slurm-wlm and munge"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq slurm-wlm munge >/dev/null
fi

WORK=$(mktemp -d /tmp/epiplan-slurm.XXXXXX)
chmod 755 "$WORK"
pids=()
cleanup() {
	set +e
	[ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root >/dev/null 2>&1
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$WORK/slurmctld.pid" ] && kill "$(cat "$WORK/slurmctld.pid")" 2>/dev/null
	[ -f "$WORK/slurmd.pid" ] && kill "$(cat "$WORK/slurmd.pid")" 2>/dev/null
	[ -f "$WORK/munged.pid" ] && kill "$(cat "$WORK/munged.pid")" 2>/dev/null
	sleep 0.5
	if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "slurm: work folder kept: $WORK"; fi
}
trap cleanup EXIT

# munge: a key made on the fly, a daemon of our own (socket in $WORK).
mkdir -p "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$WORK/munge"; chmod 400 "$WORK/munge/munge.key"
SOCKET=$WORK/munge/munge.socket
if ! munged --force --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
	--pid-file="$WORK/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munge/seed" 2>"$WORK/munged.err"; then
	echo "slurm: munged does not start: $(cat "$WORK/munged.err" "$WORK/munged.log" 2>/dev/null | tail -3)"; exit 77
fi

HOST=$(hostname -s)
# A node of 4 CPUs and 16 GB whatever this machine has (config_overrides), so
# that the sweep script's --cpus-per-task=4 and --mem=8G are accepted.
# Control groups constrain memory when Slurm can make them (task/cgroup); the
# process tracking falls back to linuxproc where it cannot.
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/logs"
write_conf() { # $1: task plugin, $2: proctrack plugin
	cat >"$WORK/slurm.conf" <<CONF
ClusterName=epiplan
SlurmctldHost=$HOST
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=$2
TaskPlugin=$1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
InactiveLimit=0
KillWait=5
NodeName=$HOST CPUs=4 RealMemory=16384 State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
	cat >"$WORK/cgroup.conf" <<CONF
CgroupPlugin=autodetect
IgnoreSystemd=yes
ConstrainRAMSpace=yes
ConstrainSwapSpace=no
ConstrainCores=no
ConstrainDevices=no
CONF
}
export SLURM_CONF=$WORK/slurm.conf

start_daemons() {
	slurmctld -f "$SLURM_CONF" -i >"$WORK/slurmctld.out" 2>&1 || return 1
	slurmd -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 || return 1
	for _ in $(seq 1 60); do
		if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then return 0; fi
		sleep 0.5
	done
	return 1
}
stop_daemons() {
	for f in slurmd slurmctld; do
		[ -f "$WORK/$f.pid" ] && kill "$(cat "$WORK/$f.pid")" 2>/dev/null || true
	done
	sleep 1
	rm -rf "$WORK/state"/* "$WORK/spool"/*
}

CGROUPS=1
write_conf task/cgroup proctrack/cgroup
if ! start_daemons; then
	echo "slurm: with cgroups the daemons do not start ($(tail -2 "$WORK/slurmd.log" 2>/dev/null | tr '\n' ' ')); trying without"
	stop_daemons
	CGROUPS=0
	write_conf task/none proctrack/linuxproc
	if ! start_daemons; then
		echo "slurm: the daemons do not start here:"
		tail -5 "$WORK/slurmctld.log" "$WORK/slurmd.log" "$WORK/slurmctld.out" "$WORK/slurmd.out" 2>/dev/null
		exit 77
	fi
fi
echo "slurm: cluster up ($(sinfo -h -N -o '%N %T %c CPUs %m MB'), cgroups=$CGROUPS) in $(($(date +%s) - start)) s"

# The user's side: a repository with the binary at its root.
mkdir -p "$WORK/repo/docs/cluster" "$WORK/repo/scenarios"
go build -o "$WORK/repo/epiplan" ./cmd/epiplan
cp docs/cluster/slurm-submit.sh docs/cluster/slurm-sweep.sh "$WORK/repo/docs/cluster/"
cat >"$WORK/repo/scenarios/small.yaml" <<'YAML'
name: slurm test
replications: 4
horizon: 40d
population: {areas: [{name: town, population: 20000}]}
imports: {initial: 5}
strategies: [{name: mitigation}, {name: twenty_measures}]
YAML
export SCENARIO=scenarios/small.yaml SETS="population.layers.community=0.6,1.0,1.4 imports.initial=3,6" REPLICATIONS=4 SEED=7
cd "$WORK/repo"
out=$(docs/cluster/slurm-submit.sh 3 results/sweep)
echo "slurm: $out"
array=$(echo "$out" | sed -n 's/^array \([0-9]*\):.*/\1/p')
deadline=$(($(date +%s) + 180))
while squeue -h 2>/dev/null | grep -q .; do
	if [ "$(date +%s)" -gt "$deadline" ]; then
		echo "slurm: the jobs did not finish in 180 s:"; squeue; tail -20 logs/* "$WORK/slurmd.log"; exit 1
	fi
	sleep 1
done
if [ ! -f results/sweep/merged/.epiplan-output ]; then
	echo "slurm: no merged folder; the logs:"; tail -20 logs/* "$WORK/slurmd.log"; exit 1
fi
# The same sweep in one piece, outside Slurm.
GRID=(); for s in $SETS; do GRID+=(--set "$s"); done
./epiplan sweep "$SCENARIO" "${GRID[@]}" --seed "$SEED" --replications "$REPLICATIONS" --quiet --out results/whole
if ! diff -r results/whole results/sweep/merged >"$WORK/diff.txt"; then
	echo "slurm: the merged shards differ from the whole sweep:"; head -20 "$WORK/diff.txt"; exit 1
fi
echo "slurm: array $array of 3 shards merged byte-identical to the whole sweep ($(ls results/whole | wc -l) files)"

# --mem: the job sees its own limit, and the run that needs more is refused
# up front with that limit named.
if [ "$CGROUPS" = 1 ]; then
	# A whole epidemic in a million people, exact (no rescaling): it needs
	# more than 300 MB.
	cat >scenarios/big.yaml <<'YAML'
replications: 4
population: {areas: [{name: city, population: 1000000}]}
rescale: {threshold: 0}
strategies: [{name: no_intervention}]
YAML
	sbatch --wait --mem=300M --output=logs/mem-%j.out --wrap "./epiplan run scenarios/big.yaml --out results/big --workers 1" >/dev/null || true
	if grep -q "more than the limit of 300.0 MiB" logs/mem-*.out; then
		echo "slurm: a job with --mem=300M sees its limit: $(grep -o 'the run would need.*MiB' logs/mem-*.out | head -1)"
	else
		echo "slurm: the --mem job did not see its limit:"; cat logs/mem-*.out; exit 1
	fi
else
	echo "slurm: --mem not checked: Slurm could not make control groups here, so a job has no memory limit of its own"
fi
echo "slurm: passed in $(($(date +%s) - start)) s"
