// A plain C function that solves one mixed-integer program with COIN-OR CBC's CbcModel. Every CBC object lives and
// dies inside the call, so no handle crosses into Swift and separate threads never share CBC state.
#ifndef CBC_BRIDGE_H
#define CBC_BRIDGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How a solve ended.
typedef enum {
    /// A solution was found and proved optimal within the gap tolerances.
    CbcBridgeStatusOptimal = 0,
    /// The constraints admit no solution.
    CbcBridgeStatusInfeasible = 1,
    /// The objective can decrease without limit.
    CbcBridgeStatusUnbounded = 2,
    /// The time limit stopped the search with a solution in hand.
    CbcBridgeStatusStoppedWithSolution = 3,
    /// The time limit stopped the search before any solution was found.
    CbcBridgeStatusStoppedWithoutSolution = 4,
    /// CBC gave up (numerical trouble) or raised an error; see the message.
    CbcBridgeStatusFailed = 5,
} CbcBridgeStatus;

/// How long to search and when to stop.
typedef struct {
    /// Seconds of wall-clock time allowed; zero or less for no limit.
    double timeLimitSeconds;
    /// The search stops when the incumbent is within this absolute amount of the best bound.
    double absoluteGap;
    /// The search stops when the incumbent is within this fraction of the best bound.
    double relativeGap;
    /// Cut generators to use, as a sum of CbcBridgeCut flags; zero for plain branch and bound.
    int cutGenerators;
    /// How often the cut generators run: -99 at the root only; -1 at the root and then wherever they pay
    /// (CBC's automatic setting); k > 0 at every k-th node.
    int cutFrequency;
    /// Rounds of cuts at the root at most; zero or less for CBC's own limit.
    int maximumCutPassesAtRoot;
    /// Nonzero to run CBC's feasibility pump heuristic (CbcHeuristicFPump) at the root.
    int feasibilityPump;
    /// Candidates for strong branching at a node (CbcModel::setNumberStrong); zero or less for 5.
    int strongBranchingCandidates;
} CbcBridgeSettings;

/// CBC's cut generators (COIN-OR Cgl), as flags for CbcBridgeSettings.cutGenerators.
enum {
    CbcBridgeCutProbing = 1,
    CbcBridgeCutGomory = 2,
    CbcBridgeCutKnapsackCover = 4,
    CbcBridgeCutClique = 8,
    CbcBridgeCutMixedIntegerRounding = 16,
    CbcBridgeCutFlowCover = 32,
    CbcBridgeCutTwoStepMixedIntegerRounding = 64,
    CbcBridgeCutZeroHalf = 128,
};

/// What a solve found.
typedef struct {
    CbcBridgeStatus status;
    /// The objective of the best solution found (meaningful with a solution).
    double objectiveValue;
    /// The best lower bound on the objective that the search proved.
    double bestBound;
    /// Branch-and-bound nodes explored.
    int nodeCount;
    /// CbcModel::status() and secondaryStatus(), kept for messages.
    int cbcStatus;
    int cbcSecondaryStatus;
    /// A sentence on what went wrong, empty unless status is CbcBridgeStatusFailed.
    char message[256];
} CbcBridgeResult;

/// Solves: minimise objective·x subject to rowLower ≤ A·x ≤ rowUpper and columnLower ≤ x ≤ columnUpper, with A
/// in compressed sparse column form (columnStarts has columnCount + 1 offsets into rowIndices and elements) and
/// infinite bounds written as ±1e30. isInteger holds columnCount flags, non-zero for an integer column;
/// initialSolution is a feasible solution to start from (taken on trust: check it first), or NULL.
/// branchingPriorities, or NULL, gives each column a priority (lower branches first; CBC's default is 1000; ignored
/// for continuous columns). Writes the best solution's columnCount values to `solution` (when one was found) and the
/// outcome to `result`. Never throws and never prints.
void cbc_bridge_solve(int columnCount, int rowCount, const int *columnStarts, const int *rowIndices,
                      const double *elements, const double *columnLower, const double *columnUpper,
                      const double *objective, const unsigned char *isInteger, const double *rowLower,
                      const double *rowUpper, const double *initialSolution, const int *branchingPriorities,
                      CbcBridgeSettings settings, double *solution, CbcBridgeResult *result);

#ifdef __cplusplus
}
#endif

#endif
