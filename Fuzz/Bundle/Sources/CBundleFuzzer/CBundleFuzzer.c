// Declarations only; see include/CBundleFuzzer.h.
#include "CBundleFuzzer.h"
