#!/bin/sh
# One shard of a chokepoint sweep per Slurm array task (docs/workshops.md, "Sharding over machines").
#   sbatch --array=1-8 scripts/slurm-sweep.sh SWEEP.yaml OUTDIR
# Each task plays the runs of shard $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT into
# OUTDIR/$SLURM_ARRAY_TASK_ID; afterwards `chokepoint merge OUTDIR/* --out RESULT` combines them.
# A task that is requeued or rerun skips the runs it already finished.
#SBATCH --job-name=chokepoint-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.log
set -eu
if [ $# -ne 2 ]; then
    echo "usage: sbatch --array=1-N $0 SWEEP.yaml OUTDIR" >&2
    exit 2
fi
: "${SLURM_ARRAY_TASK_ID:?run this as a Slurm array job (sbatch --array=1-N)}"
: "${SLURM_ARRAY_TASK_COUNT:?run this as a Slurm array job (sbatch --array=1-N)}"
exec "${CHOKEPOINT:-chokepoint}" batch "$1" \
    --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
    --out "$2/$SLURM_ARRAY_TASK_ID" \
    --jobs "${SLURM_CPUS_PER_TASK:-1}"
