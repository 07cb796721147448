/* report_diff.c — a diff's HTML page (report.h). */
#include "report_internal.h"

GString *wz_report_diff(const wz_diff *d, const wz_impact *m, const wz_report_options *opts, wz_diags *diags) {
    return NULL;
}
