# Runs `NEXTLEVEL --generate WHAT` and writes its output to OUTPUT (cmake -P, from the build:
# a custom command cannot redirect standard output portably).
execute_process(COMMAND "${NEXTLEVEL}" --generate "${WHAT}" OUTPUT_FILE "${OUTPUT}.tmp"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "${NEXTLEVEL} --generate ${WHAT} failed: ${result}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
