// Drives CbcModel directly rather than through CBC's C interface: in CBC 2.10 that interface solves through
// CbcMain1, which parses its options through process-wide globals (CbcOrClpRead_mode), so two threads solving at
// once can skip each other's "-solve" and return unsolved models. CbcModel itself keeps its state per model.
#include "CbcBridge.h"

#include <cstdio>
#include <cstring>
#include <exception>

#include "CbcBranchActual.hpp"
#include "CglClique.hpp"
#include "CglFlowCover.hpp"
#include "CglGomory.hpp"
#include "CglKnapsackCover.hpp"
#include "CglMixedIntegerRounding2.hpp"
#include "CglProbing.hpp"
#include "CglTwomir.hpp"
#include "CglZeroHalf.hpp"
#include "CbcHeuristicFPump.hpp"
#include "CbcModel.hpp"
#include "CoinError.hpp"
#include "OsiClpSolverInterface.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

/// CBC and Clp allocate and free large arrays for every model and node. glibc's default returns such memory to
/// the system at once (munmap, madvise), and in a multi-threaded process each return interrupts every core to flush
/// its address translations: a fifth of the time of solving many small models. Keeping freed memory for reuse
/// avoids that; the cost is a process that holds on to the few megabytes its largest model needed.
void keepFreedMemory() {
#ifdef __GLIBC__
    static const bool once = [] {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
        return true;
    }();
    (void)once;
#endif
}

void fail(CbcBridgeResult *result, const char *what) {
    result->status = CbcBridgeStatusFailed;
    std::snprintf(result->message, sizeof result->message, "%s", what);
}

/// The arguments of one call, gathered.
struct Problem {
    int columnCount;
    int rowCount;
    const int *columnStarts;
    const int *rowIndices;
    const double *elements;
    const double *columnLower;
    const double *columnUpper;
    const double *objective;
    const unsigned char *isInteger;
    const double *rowLower;
    const double *rowUpper;
    const double *initialSolution;
    const int *branchingPriorities;
    CbcBridgeSettings settings;
};

void solve(const Problem &problem, double *solution, CbcBridgeResult *result) {
    const int columns = problem.columnCount;
    OsiClpSolverInterface lp;
    lp.messageHandler()->setLogLevel(0);
    lp.setHintParam(OsiDoReducePrint, true, OsiHintTry);
    lp.loadProblem(columns, problem.rowCount, problem.columnStarts, problem.rowIndices, problem.elements,
                   problem.columnLower, problem.columnUpper, problem.objective, problem.rowLower, problem.rowUpper);
    bool hasIntegers = false;
    for (int column = 0; column < columns; ++column) {
        if (problem.isInteger[column]) {
            lp.setInteger(column);
            hasIntegers = true;
        }
    }

    lp.initialSolve();
    if (lp.isAbandoned()) return fail(result, "the linear relaxation was abandoned after numerical difficulties");
    if (lp.isProvenPrimalInfeasible()) {
        result->status = CbcBridgeStatusInfeasible;
        return;
    }
    if (lp.isProvenDualInfeasible()) {
        result->status = CbcBridgeStatusUnbounded;
        return;
    }
    if (!lp.isProvenOptimal()) return fail(result, "the linear relaxation stopped before it was solved");
    if (!hasIntegers) {
        std::memcpy(solution, lp.getColSolution(), sizeof(double) * columns);
        result->status = CbcBridgeStatusOptimal;
        result->objectiveValue = lp.getObjValue();
        result->bestBound = result->objectiveValue;
        return;
    }

    CbcModel model(lp);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setNumberThreads(0);
    model.setUseElapsedTime(true);
    if (problem.settings.timeLimitSeconds > 0) model.setMaximumSeconds(problem.settings.timeLimitSeconds);
    model.setAllowableGap(problem.settings.absoluteGap);
    model.setAllowableFractionGap(problem.settings.relativeGap);
    // Branch and bound on the LP relaxation, with strong branching on five candidates until pseudo-costs are
    // trusted (ten branchings each), and the cut generators the caller asks for (none by default). No
    // preprocessing and no heuristics beyond CBC's rounding: the caller brings its own starting solution. The
    // caller scales rows and objective (CBCSolver does): an earlier version without scaling, with budget rows and
    // objective in pounds (~1e6 per coefficient), saw probing with mixed-integer rounding and knapsack covers cut
    // off true optima and report a worse plan as optimal.
    const int strong = problem.settings.strongBranchingCandidates;
    model.setNumberStrong(strong > 0 ? strong : 5);
    model.setNumberBeforeTrust(10);
    if (problem.settings.maximumCutPassesAtRoot > 0) {
        model.setMaximumCutPassesAtRoot(problem.settings.maximumCutPassesAtRoot);
    }
    // Cut generators as asked; CbcModel copies each generator it is given.
    const int cuts = problem.settings.cutGenerators;
    const int frequency = problem.settings.cutFrequency == 0 ? -99 : problem.settings.cutFrequency;
    const auto add = [&](int flag, CglCutGenerator &generator, const char *name) {
        if (cuts & flag) model.addCutGenerator(&generator, frequency, name);
    };
    CglProbing probing;
    probing.setUsingObjective(0);
    probing.setMaxPass(1);
    probing.setMaxPassRoot(5);
    probing.setMaxProbe(10);
    probing.setMaxProbeRoot(50);
    probing.setMaxLook(10);
    probing.setMaxLookRoot(50);
    probing.setRowCuts(3);
    add(CbcBridgeCutProbing, probing, "Probing");
    CglGomory gomory;
    gomory.setLimitAtRoot(512);
    add(CbcBridgeCutGomory, gomory, "Gomory");
    CglKnapsackCover knapsack;
    add(CbcBridgeCutKnapsackCover, knapsack, "KnapsackCover");
    CglClique clique;
    clique.setStarCliqueReport(false);
    clique.setRowCliqueReport(false);
    add(CbcBridgeCutClique, clique, "Clique");
    CglMixedIntegerRounding2 rounding;
    add(CbcBridgeCutMixedIntegerRounding, rounding, "MixedIntegerRounding2");
    CglFlowCover flow;
    add(CbcBridgeCutFlowCover, flow, "FlowCover");
    CglTwomir twomir;
    add(CbcBridgeCutTwoStepMixedIntegerRounding, twomir, "TwoMirCuts");
    CglZeroHalf zeroHalf;
    add(CbcBridgeCutZeroHalf, zeroHalf, "ZeroHalf");
    if (problem.branchingPriorities) {
        model.findIntegers(true);
        for (int index = 0; index < model.numberObjects(); ++index) {
            if (auto *integer = dynamic_cast<CbcSimpleInteger *>(model.modifiableObject(index))) {
                integer->setPriority(problem.branchingPriorities[integer->columnNumber()]);
            }
        }
    }
    CbcHeuristicFPump pump(model);
    if (problem.settings.feasibilityPump) model.addHeuristic(&pump);
    if (problem.initialSolution) {
        // The caller has checked the start against the model. CBC's own check (setBestSolution with check) uses an
        // absolute row tolerance that rounding in a budget row of millions of pounds can exceed, and then drops the
        // start silently; so the start is passed with its objective and without CBC's check.
        double objective = 0;
        for (int column = 0; column < columns; ++column) {
            objective += problem.objective[column] * problem.initialSolution[column];
        }
        model.setBestSolution(problem.initialSolution, columns, objective, false);
    }

    model.branchAndBound();

    result->nodeCount = model.getNodeCount();
    result->cbcStatus = model.status();
    result->cbcSecondaryStatus = model.secondaryStatus();
    const double *best = model.bestSolution();
    if (best) {
        std::memcpy(solution, best, sizeof(double) * columns);
        result->objectiveValue = model.getObjValue();
    }
    result->bestBound = model.getBestPossibleObjValue();
    if (model.isProvenOptimal() && best) {
        result->status = CbcBridgeStatusOptimal;
        result->bestBound = result->objectiveValue;
    } else if (model.isProvenInfeasible()) {
        result->status = CbcBridgeStatusInfeasible;
    } else if (model.isContinuousUnbounded()) {
        result->status = CbcBridgeStatusUnbounded;
    } else if (model.isAbandoned()) {
        fail(result, "the search was abandoned after numerical difficulties");
    } else if (model.isSecondsLimitReached()) {
        result->status = best ? CbcBridgeStatusStoppedWithSolution : CbcBridgeStatusStoppedWithoutSolution;
    } else {
        std::snprintf(result->message, sizeof result->message,
                      "the search ended without a proof (status %d, secondary status %d)", model.status(),
                      model.secondaryStatus());
        result->status = CbcBridgeStatusFailed;
    }
}

}  // namespace

extern "C" void cbc_bridge_solve(int columnCount, int rowCount, const int *columnStarts, const int *rowIndices,
                                 const double *elements, const double *columnLower, const double *columnUpper,
                                 const double *objective, const unsigned char *isInteger, const double *rowLower,
                                 const double *rowUpper, const double *initialSolution,
                                 const int *branchingPriorities, CbcBridgeSettings settings, double *solution,
                                 CbcBridgeResult *result) {
    keepFreedMemory();
    std::memset(result, 0, sizeof *result);
    result->status = CbcBridgeStatusFailed;
    const Problem problem = {columnCount, rowCount, columnStarts, rowIndices, elements,
                             columnLower, columnUpper, objective, isInteger, rowLower, rowUpper, initialSolution,
                             branchingPriorities, settings};
    try {
        solve(problem, solution, result);
    } catch (const CoinError &error) {
        std::snprintf(result->message, sizeof result->message, "CBC error in %s::%s: %s", error.className().c_str(),
                      error.methodName().c_str(), error.message().c_str());
        result->status = CbcBridgeStatusFailed;
    } catch (const std::exception &error) {
        fail(result, error.what());
    } catch (...) {
        fail(result, "CBC raised an unknown exception");
    }
}
