package dev.ringsweep.spark;

import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.internal.RangePlanner;
import dev.ringsweep.token.TokenRangeSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** What the jobs share: one RDD partition per task with its preferred hosts, and the operator a task runs. */
final class SparkJobs {

  private SparkJobs() {}

  /** One partition per task, each preferring the hosts of its replicas. */
  static JavaRDD<TaskPieces> partitions(SparkContext context, List<TaskPieces> tasks) {
    List<Tuple2<TaskPieces, scala.collection.Seq<String>>> located = new ArrayList<>();
    for (TaskPieces task : tasks) {
      located.add(new Tuple2<>(task, JavaConverters.asScalaBuffer(task.hosts()).toSeq()));
    }
    ClassTag<TaskPieces> tag = ClassTag$.MODULE$.apply(TaskPieces.class);
    RDD<TaskPieces> rdd = context.makeRDD(JavaConverters.asScalaBuffer(located).toSeq(), tag);
    return JavaRDD.fromRDD(rdd, tag);
  }

  /** The operator of one task: this JVM's shared session, the task's share of parallelism. */
  static TokenAwareBulkOperator operator(CassandraConnection connection, SparkOptions options) {
    return TokenAwareBulkOperator.builder(connection.session())
        .parallelism(options.parallelismPerTask())
        .consistencyLevel(options.consistencyLevel())
        .localDatacenter(connection.localDatacenter())
        .requestTimeout(connection.requestTimeout())
        .build();
  }

  /** What the engines take: the operator's session and options, no progress listener, the automatic planner. */
  static OperationContext context(TokenAwareBulkOperator operator) {
    return new OperationContext(operator.session(), operator.options(), ProgressListener.NONE,
        new RangePlanner(operator.session(), TokenRangeSource.automatic(), operator.options()));
  }

  /** A name for one attempt of one task, unique in the job: partition, stage attempt and task attempt. */
  static String attemptName() {
    org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
    return "p" + context.partitionId() + "s" + context.stageAttemptNumber() + "a" + context.attemptNumber();
  }
}
