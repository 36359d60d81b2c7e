/* measure TIMEFILE COMMAND...: runs COMMAND and writes "wall_s cpu_s peak_rss_kb"
 * of it to TIMEFILE: what /usr/bin/time -f '%e %U+%S %M' reports, from the same
 * wait4() rusage, but with CPU time in microseconds rather than rounded to
 * 10 ms. Like GNU time it forks from a small process, so the peak RSS is the
 * command's own. run_bench.sh compiles it with cc. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double Seconds(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: measure TIMEFILE COMMAND...\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  const pid_t pid = fork();
  if (pid < 0) return perror("fork"), 1;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) return perror("wait4"), 1;
  clock_gettime(CLOCK_MONOTONIC, &end);
  FILE* out = fopen(argv[1], "w");
  if (out == NULL) return perror(argv[1]), 1;
  fprintf(out, "%.3f %.4f %ld\n", end.tv_sec - start.tv_sec + (end.tv_nsec - start.tv_nsec) / 1e9,
          Seconds(usage.ru_utime) + Seconds(usage.ru_stime), usage.ru_maxrss);
  fclose(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
