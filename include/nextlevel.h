#ifndef NEXTLEVEL_H
#define NEXTLEVEL_H

/* Everything nextlevel's library offers, for programs that embed it. Data flows one way:
 * framework (template) -> matrix (CSV) -> evaluate -> reports. */

#include "nextlevel/cli.h"
#include "nextlevel/cli_doc.h"
#include "nextlevel/cli_options.h"
#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/diag.h"
#include "nextlevel/diff.h"
#include "nextlevel/digest.h"
#include "nextlevel/error.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/inidoc.h"
#include "nextlevel/inputs.h"
#include "nextlevel/matrix.h"
#include "nextlevel/outfile.h"
#include "nextlevel/packs.h"
#include "nextlevel/person_columns.h"
#include "nextlevel/pipeline.h"
#include "nextlevel/progress.h"
#include "nextlevel/report_machine.h"
#include "nextlevel/report_text.h"
#include "nextlevel/report_xlsx.h"
#include "nextlevel/review.h"
#include "nextlevel/rundate.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/term_progress.h"
#include "nextlevel/textout.h"
#include "nextlevel/trend.h"

#endif
