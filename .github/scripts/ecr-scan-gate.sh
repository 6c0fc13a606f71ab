#!/usr/bin/env bash
# Waits for ECR's scan of one image, then fails if it found anything CRITICAL.
#   ecr-scan-gate.sh <repository> <tag> [timeout seconds, default 900]
# Basic scanning ends in status COMPLETE. Enhanced scanning (Amazon Inspector) goes to ACTIVE and
# stays there, rescanning as advisories appear: "aws ecr wait image-scan-complete" waits for
# COMPLETE and so never succeeds there. Both give findingSeverityCounts once the first scan is done.
# SCAN_POLL_SECONDS sets the polling interval (10 s).
set -euo pipefail

repository=$1
tag=$2
timeout=${3:-900}
poll=${SCAN_POLL_SECONDS:-10}
deadline=$((SECONDS + timeout))

while :; do
  # Before the scan starts, ECR answers ScanNotFoundException: keep waiting.
  status=$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id "imageTag=$tag" \
    --no-paginate --query 'imageScanStatus.status' --output text 2>/dev/null || echo NOT_STARTED)
  case "$status" in
    COMPLETE | ACTIVE) break ;;
    NOT_STARTED | PENDING | IN_PROGRESS) ;;
    *)
      echo "ECR scan of $repository:$tag ended with status $status: no scan result, refusing to deploy" >&2
      exit 1
      ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "ECR scan of $repository:$tag still $status after ${timeout}s" >&2
    exit 1
  fi
  sleep "$poll"
done

critical=$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id "imageTag=$tag" \
  --no-paginate --query 'imageScanFindings.findingSeverityCounts.CRITICAL' --output text)
echo "ECR scan of $repository:$tag: status $status, CRITICAL findings: $critical"
if [ "$critical" != "None" ] && [ "$critical" -gt 0 ]; then
  exit 1
fi
